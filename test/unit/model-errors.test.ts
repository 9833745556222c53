import { KilnError } from '../../src/errors';
import { compileModels } from '../../src/model/compile';
import { dialectOf } from '../../src/dialect/registry';
import { makeColumn } from '../../src/model/column';
import { Boolean, Float, ForeignKey, Integer, model, relationship, String, table, Text } from 'kiln';

const id = () => Integer().primaryKey();
const Writer = model('Writer', { id: id(), name: String(70).unique() });

function errorOf(definitions: unknown[]): KilnError {
  try {
    compileModels(definitions);
  } catch (e) {
    expect(e).toBeInstanceOf(KilnError);
    expect((e as KilnError).code).toBe('MODEL');
    expect((e as KilnError).message).not.toContain('\n');
    return e as KilnError;
  }
  throw new Error('compileModels did not fail');
}

const messageOf = (definitions: unknown[]) => errorOf(definitions).message;

describe('compileModels refuses, naming the model and field', () => {
  it('a foreign key to an unknown table, with a hint', () => {
    const e = errorOf([Writer, model('Book', { id: id(), writer_id: Integer().references('write.id') })]);
    expect(e.message).toBe("model 'Book' field 'writer_id': foreign key to unknown table 'write'");
    expect(e.hint).toBe("did you mean 'writer'?");
  });

  it('a foreign key to an unknown column', () => {
    expect(messageOf([Writer, model('Book', { id: id(), writer_id: Integer().foreignKey(ForeignKey('writer.ident')) })])).toBe(
      "model 'Book' field 'writer_id': foreign key to unknown column 'writer.ident'",
    );
  });

  it('a foreign key target that is not table.column', () => {
    expect(messageOf([Writer, model('Book', { id: id(), writer_id: Integer().references('writer') })])).toBe(
      "model 'Book' field 'writer_id': foreign key target 'writer' is not 'table.column' (or 'schema.table.column')",
    );
  });

  it('a foreign key whose type differs from its target', () => {
    expect(messageOf([Writer, model('Book', { id: id(), writer_id: String().references('writer.id') })])).toBe(
      "model 'Book' field 'writer_id': column type string does not match 'writer.id' (integer)",
    );
  });

  it('a foreign key to a column that is neither primary key nor unique', () => {
    const W = model('Writer', { id: id(), nick: String() });
    expect(messageOf([W, model('Book', { id: id(), w: String().references('writer.nick') })])).toBe(
      "model 'Book' field 'w': foreign key to 'writer.nick', which is neither a primary key nor unique",
    );
  });

  it('an unknown referential action', () => {
    expect(messageOf([Writer, model('Book', { id: id(), w: Integer().references('writer.id', { onDelete: 'explode' as never }) })])).toBe(
      "model 'Book' field 'w': unknown ON DELETE action 'explode'",
    );
  });

  it('two tables with one name, and two models with one name', () => {
    expect(messageOf([model('Note', { id: id() }), table('note', { x: Integer() })])).toBe(
      "table 'note': table 'note' is already defined by model 'Note'",
    );
    expect(messageOf([model('Note', { id: id() }), model('Note', { id: id() }, { tableName: 'notes' })])).toBe(
      "model 'Note': two models named 'Note'",
    );
  });

  it('two columns with one name', () => {
    expect(messageOf([model('T', { id: id(), a: Integer(), b: Text().name('a') })])).toBe(
      "model 'T' field 'b': column 'a' is already defined by field 'a'",
    );
  });

  it('an unknown type, or something that is not a column', () => {
    expect(messageOf([model('T', { id: id(), money: makeColumn('money') })])).toBe("model 'T' field 'money': unknown column type 'money'");
    expect(messageOf([model('T', { id: id(), n: 3 as never })])).toBe("model 'T' field 'n': not a column (use Integer(), String(), ...)");
  });

  it.each([
    [Integer().default('0' as never), "default '0' is not a number"],
    [Integer().default(1.5), 'default 1.5 is not an integer'],
    [Integer().default(Infinity), 'default Infinity is not a finite number'],
    [Float().default(NaN), 'default NaN is not a finite number'],
    [String().default(true as never), 'default true is not a string'],
    [Boolean().default(1 as never), 'default 1 is not a boolean'],
    [Text().defaultRaw(' '), 'defaultRaw needs a SQL expression'],
  ])('a default of the wrong type (%#)', (col, message) => {
    expect(messageOf([model('T', { id: id(), c: col })])).toBe(`model 'T' field 'c': ${message}`);
  });

  it.each([[0], [-3], [1.5], ['20' as never]])('a length that is not a positive integer: %p', (length) => {
    expect(messageOf([model('T', { id: id(), s: String(length) })])).toBe(
      `model 'T' field 's': length ${typeof length === 'string' ? `'${length}'` : length} is not a positive integer`,
    );
  });

  it('a table with no columns, a model with no primary key', () => {
    expect(messageOf([table('empty', {})])).toBe("table 'empty': no columns");
    const e = errorOf([model('Log', { line: Text() })]);
    expect(e.message).toBe("model 'Log': no primary key");
    expect(e.hint).toContain('table()');
  });

  it('primary key oddities', () => {
    expect(messageOf([model('T', { id: id().nullable(true) })])).toBe("model 'T' field 'id': a primary key column cannot be nullable");
    expect(messageOf([model('T', { id: String().primaryKey().autoIncrement() })])).toBe(
      "model 'T' field 'id': autoIncrement needs a lone Integer, BigInteger, SmallInteger, TinyInteger or MediumInteger primary key",
    );
    expect(messageOf([model('T', { id: id().default(1) })])).toBe("model 'T' field 'id': an auto-increment primary key cannot have a default");
    expect(messageOf([model('T', { id: id() }, { primaryKey: ['id'] })])).toBe(
      "model 'T': primary key given both with .primaryKey() and in options.primaryKey",
    );
    expect(messageOf([table('t', { a: Integer() }, { primaryKey: ['b'] })])).toBe("table 't' primary key: unknown column 'b'");
  });

  it('bad multi-column indexes', () => {
    expect(messageOf([model('T', { id: id() }, { indexes: [{ columns: [] }] })])).toBe("model 'T' index: needs a non-empty list of columns");
    expect(messageOf([model('T', { id: id() }, { uniques: [{ columns: ['id', 'nope'] }] })])).toBe("model 'T' unique: unknown column 'nope'");
    expect(messageOf([model('T', { id: id() }, { uniques: [{ columns: ['id', 'id'] }] })])).toBe("model 'T' unique: column 'id' listed twice");
  });

  it('identifiers that are empty; long ones are each database\'s limit (PostgreSQL 63 bytes, MySQL 64 characters, SQLite none)', () => {
    const long = 'x'.repeat(64);
    expect(messageOf([model('T', { id: id(), a: Integer().name('') })])).toBe("model 'T' field 'a': column name is empty");
    expect(messageOf([model('', { id: id() }, { tableName: 't' })])).toBe("model '': model name is empty");
    const project = (dialect: 'postgres' | 'mysql' | 'sqlite', definitions: unknown[]) => {
      try {
        dialectOf(dialect).generation.project(compileModels(definitions), 'public');
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    const longTable = [model('T', { id: id() }, { tableName: long })];
    expect(project('postgres', longTable)).toBe(`table '${long}' table name: name '${long}' is longer than PostgreSQL's 63 bytes (64)`);
    expect(project('mysql', longTable)).toBe('accepted');
    expect(project('mysql', [model('T', { id: id() }, { tableName: `${long}x` })])).toBe(`table '${long}x' table name: name '${long}x' is longer than MySQL/MariaDB's 64 characters (65)`);
    expect(project('sqlite', [model('T', { id: id() }, { tableName: long.repeat(3) })])).toBe('accepted');
    // PostgreSQL counts bytes: 32 two-byte letters are 64 bytes.
    expect(project('postgres', [model('T', { id: id(), ['é'.repeat(32)]: Integer() })])).toMatch(/column 'é{32}': name 'é{32}' is longer than PostgreSQL's 63 bytes \(64\)/);
    const generated = `t_${'y'.repeat(60)}_index`;
    const longIndex = [model('T', { id: id(), ['y'.repeat(60)]: Integer().index() })];
    expect(project('postgres', longIndex)).toBe(`table 't' index (${'y'.repeat(60)}): name '${generated}' is longer than PostgreSQL's 63 bytes (68)`);
    expect(project('sqlite', longIndex)).toBe('accepted');
  });

  it.each([
    ['a column', () => model('T', { id: id(), 'title ': String(200) }), "model 'T' field 'title ': column name 'title ' starts or ends with white space"],
    ['a renamed column', () => model('T', { id: id(), t: String().name(' t') }), "model 'T' field 't': column name ' t' starts or ends with white space"],
    ['a table', () => model('T', { id: id() }, { tableName: 't\u00a0' }), "model 'T': table name 't\u00a0' starts or ends with white space"],
    ['a model', () => model('T\t', { id: id() }, { tableName: 't' }), "model 'T\\u0009': model name 'T\\u0009' contains a control character"],
    ['a column with a newline', () => model('T', { id: id(), 'a\nb': Integer() }), "model 'T' field 'a\\u000ab': column name 'a\\u000ab' contains a control character"],
    ['an index', () => model('T', { id: id(), x: Integer().index('x_idx ') }), "model 'T' index (x): name 'x_idx ' starts or ends with white space"],
    ['a unique', () => model('T', { id: id(), x: Integer().unique('u\u007f') }), "model 'T' unique (x): name 'u\\u007f' contains a control character"],
    ['a foreign key', () => model('T', { id: id(), w: Integer().foreignKey(ForeignKey('writer.id', { name: ' fk' })) }), "model 'T' foreign key (w): name ' fk' starts or ends with white space"],
  ])('a name with leading/trailing spaces or control characters: %s', (_label, make, message) => {
    const e = errorOf([Writer, make()]);
    expect(e.message).toBe(message);
  });

  it("a '?' in a table or column name (Knex on PostgreSQL turns it into a parameter: the table was created as 'po$1st')", () => {
    expect(messageOf([model('T', { id: id() }, { tableName: 'po?st' })])).toBe(
      "model 'T': table name 'po?st' contains '?', which Knex on PostgreSQL reads as a parameter",
    );
    expect(messageOf([model('T', { id: id(), 'ti?tle': Integer() })])).toBe(
      "model 'T' field 'ti?tle': column name 'ti?tle' contains '?', which Knex on PostgreSQL reads as a parameter",
    );
  });

  it('one constraint name used twice in a table', () => {
    expect(messageOf([model('A', { id: id(), x: Integer().index('same'), y: Integer().unique('same') })])).toBe(
      "model 'A' unique (y): name 'same' is already used by index (x)",
    );
    expect(messageOf([model('A', { id: id(), x: Integer().check('x > 0', 'same') }, { checks: [{ expression: 'x < 9', name: 'same' }] })])).toBe(
      "model 'A' check (x < 9): name 'same' is already used by check (x > 0)",
    );
  });

  it('a name used by two tables is not the compiler\'s to refuse (each database keeps its own namespaces: test/unit/shared-names.test.ts)', () => {
    const schema = compileModels([model('A', { id: id(), x: Integer().index('same') }), model('B', { id: id(), y: Integer().unique('same') })]);
    expect(schema.tables.map((t) => [...t.indexes, ...t.uniques].map((i) => i.name))).toEqual([['same'], ['same']]);
  });
});

describe('relationships are validated', () => {
  const Post = (options: Parameters<typeof relationship>[1], target = 'Comment') =>
    model('Post', { id: id(), title: String(50) }, { relationships: { comments: relationship(target, options) } });
  const Comment = model('Comment', { id: id(), post_id: Integer().references('post.id') });

  it('a relationship to an unknown model', () => {
    const e = errorOf([Post({}, 'Coment'), Comment]);
    expect(e.message).toBe("model 'Post' relationship 'comments': relationship to unknown model 'Coment'");
    expect(e.hint).toBe("did you mean 'Comment'?");
  });

  it('bad cascade words', () => {
    expect(messageOf([Post({ cascade: 'all, destroy' }), Comment])).toBe("model 'Post' relationship 'comments': unknown cascade word 'destroy'");
  });

  it.each(['all', 'save-update, merge, delete', 'all, delete-orphan', 'delete'])('cascade %p is ON DELETE CASCADE', (cascade) => {
    const schema = compileModels([Post({ cascade }), Comment]);
    expect(schema.tables.find((t) => t.name === 'comment')!.foreignKeys[0].onDelete).toBe('CASCADE');
  });

  it.each(['save-update, merge', 'delete-orphan', ''])('cascade %p changes nothing', (cascade) => {
    const schema = compileModels([Post({ cascade }), Comment]);
    expect(schema.tables.find((t) => t.name === 'comment')!.foreignKeys[0].onDelete).toBe('NO ACTION');
  });

  it('a cascade with no foreign key to follow', () => {
    const Lonely = model('Comment', { id: id(), post_id: Integer() });
    expect(messageOf([Post({ cascade: 'all' }), Lonely])).toBe("model 'Post' relationship 'comments': no foreign key links 'post' and 'comment'");
  });

  it('a cascade on the many-to-one side', () => {
    const C = model('Comment', { id: id(), post_id: Integer().references('post.id') }, { relationships: { post: relationship('Post', { cascade: 'all' }) } });
    expect(messageOf([Post({}), C])).toBe(
      "model 'Comment' relationship 'post': cascade 'all' on a many-to-one relationship cannot be a database rule",
    );
  });

  it('a cascade against an explicit ON DELETE', () => {
    const C = model('Comment', { id: id(), post_id: Integer().references('post.id', { onDelete: 'SET NULL' }) });
    expect(messageOf([Post({ cascade: 'all' }), C])).toBe(
      "model 'Post' relationship 'comments': cascade 'all' conflicts with ON DELETE SET NULL on 'comment.post_id'",
    );
  });

  it('several foreign keys need foreignKeys, which picks one', () => {
    const C = model('Comment', { id: id(), post_id: Integer().references('post.id'), reply_to_post_id: Integer().references('post.id') });
    expect(messageOf([Post({ cascade: 'all' }), C])).toBe(
      "model 'Post' relationship 'comments': several foreign keys link 'post' and 'comment' (post_id, reply_to_post_id); set foreignKeys",
    );
    const schema = compileModels([Post({ cascade: 'all', foreignKeys: 'comment.post_id' }), C]);
    expect(schema.tables.find((t) => t.name === 'comment')!.foreignKeys.map((f) => f.onDelete)).toEqual(['CASCADE', 'NO ACTION']);
    expect(messageOf([Post({ foreignKeys: ['nope'] }), C])).toBe(
      "model 'Post' relationship 'comments': no foreign key links 'post' and 'comment' through foreignKeys",
    );
  });

  it('uselist false on a one-to-many makes the foreign key unique; on a many-to-one it does nothing', () => {
    const C = model('Comment', { id: id(), post_id: Integer().references('post.id') }, { relationships: { post: relationship('Post', { uselist: false }) } });
    const schema = compileModels([Post({ uselist: false }), C]);
    expect(schema.tables.find((t) => t.name === 'comment')!.uniques).toEqual([{ name: 'comment_post_id_unique', columns: ['post_id'] }]);
    expect(schema.tables.find((t) => t.name === 'post')!.uniques).toEqual([]);
  });

  it('secondary must name a table with foreign keys to both sides', () => {
    const S = (secondary: string) => model('Student', { id: id() }, { relationships: { teachers: relationship('Teacher', { secondary }) } });
    const T = model('Teacher', { id: id() });
    const half = table('association', { student_id: Integer().references('student.id'), teacher_id: Integer() });
    expect(messageOf([S('asociation'), T, half])).toBe("model 'Student' relationship 'teachers': secondary table 'asociation' is not defined");
    expect(messageOf([S('association'), T, half])).toBe(
      "model 'Student' relationship 'teachers': secondary table 'association' has no foreign key to 'teacher'",
    );
  });

  it('backPopulates must name a relationship on the target that points back', () => {
    const C = (rels: Record<string, ReturnType<typeof relationship>>) =>
      model('Comment', { id: id(), post_id: Integer().references('post.id') }, { relationships: rels });
    expect(messageOf([Post({ backPopulates: 'post' }), C({})])).toBe(
      "model 'Post' relationship 'comments': backPopulates 'post': model 'Comment' has no relationship 'post'",
    );
    expect(messageOf([Post({ backPopulates: 'post' }), C({ post: relationship('Comment') })])).toBe(
      "model 'Post' relationship 'comments': backPopulates 'post': 'Comment.post' points to 'Comment', not 'Post'",
    );
    expect(messageOf([Post({ backPopulates: 'post' }), C({ post: relationship('Post', { backPopulates: 'bookes' }) })])).toBe(
      "model 'Post' relationship 'comments': backPopulates 'post': 'Comment.post' back-populates 'bookes', not 'comments'",
    );
  });

  it('backref creates nothing, but must not clash', () => {
    expect(compileModels([Post({ backref: 'post' }), Comment]).tables).toHaveLength(2);
    expect(messageOf([Post({ backref: 'post_id' }), Comment])).toBe("model 'Post' relationship 'comments': backref 'post_id' clashes with 'Comment.post_id'");
  });

  it('a relationship named like a field', () => {
    const P = model('Post', { id: id(), comments: Text() }, { relationships: { comments: relationship('Comment') } });
    expect(messageOf([P, Comment])).toBe("model 'Post' relationship 'comments': name clashes with field 'comments'");
  });
});

describe('loose foreign keys (SQLite keeps a foreign key whose target is not a key)', () => {
  const W = model('Writer', { id: id(), nick: String() });
  const fkOf = (book: unknown) => compileModels([W, book]).tables.find((t) => t.name === 'book')!.foreignKeys[0];

  it('without loose: true, one to a column that is not a key is refused with a hint naming it', () => {
    expect(errorOf([W, model('Book', { id: id(), w: String().references('writer.nick') })]).hint).toBe(
      "make the target unique; or, on SQLite only (which accepts such a foreign key), say 'loose: true' in the foreign key's options",
    );
  });

  it('with loose: true, a missing table, a missing column or a column that is not a key is marked loose', () => {
    expect(fkOf(model('Book', { id: id(), g: Integer().references('gone.id', { loose: true }) }))).toEqual({
      name: 'book_g_foreign', columns: ['g'], refTable: 'gone', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION', loose: true,
    });
    expect(fkOf(model('Book', { id: id(), w: String().references('writer.nope', { loose: true }) })).loose).toBe(true);
    expect(fkOf(model('Book', { id: id(), w: String().references('writer.nick', { loose: true }) })).loose).toBe(true);
    const option = { foreignKeys: [{ columns: ['w'], references: ['writer.nick'], loose: true }] };
    expect(fkOf(model('Book', { id: id(), w: String() }, option)).loose).toBe(true);
  });

  it('with loose: true, one to a key is a plain foreign key', () => {
    expect(fkOf(model('Book', { id: id(), w: Integer().references('writer.id', { loose: true }) }))).not.toHaveProperty('loose');
  });

  it('loose: true still checks the types of the columns that exist, and loose must be a boolean', () => {
    expect(messageOf([W, model('Book', { id: id(), w: Integer().references('writer.nick', { loose: true }) })])).toBe(
      "model 'Book' field 'w': column type integer does not match 'writer.nick' (string)",
    );
    expect(messageOf([W, model('Book', { id: id(), w: String().references('writer.nick', { loose: 'yes' as never }) })])).toBe(
      "model 'Book' field 'w': loose must be true or false, not 'yes'",
    );
  });
});
