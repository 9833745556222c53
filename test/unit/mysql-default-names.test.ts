/**
 * MariaDB prints a default that names one of this database's objects qualified with the database
 * (`nextval(\`shop\`.\`seq\`)`); introspection leaves the qualifier off. Only outside string
 * literals: a string that holds the same text is a value, and was cut (`'\`shop\`.x'` read as 'x').
 */
import { outsideStrings } from '../../src/dialect/mysql/introspect';

const bare = (text: string) => outsideStrings(text, (part) => part.split('`shop`.').join(''));

test('names outside strings lose the qualifier; strings keep it, with their escapes', () => {
  expect(bare('nextval(`shop`.`seq`)')).toBe('nextval(`seq`)');
  expect(bare("'`shop`.x'")).toBe("'`shop`.x'");
  expect(bare("concat('it''s `shop`.', nextval(`shop`.`seq`))")).toBe("concat('it''s `shop`.', nextval(`seq`))");
  // MySQL's backslash escapes: \\' is a quote inside the string, \\\\ a backslash that ends before the quote.
  expect(bare("concat('it\\'s `shop`.x', nextval(`shop`.`s`))")).toBe("concat('it\\'s `shop`.x', nextval(`s`))");
  expect(bare("concat('a\\\\', nextval(`shop`.`s`))")).toBe("concat('a\\\\', nextval(`s`))");
  expect(bare("'unterminated `shop`.x")).toBe("'unterminated `shop`.x");
});
