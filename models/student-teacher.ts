import { model, relationship, table, Integer, String } from 'kiln';

/** Many-to-many through the association table (which has no primary key). */
export const association = table('association', {
  student_id: Integer().references('student.id'),
  teacher_id: Integer().references('teacher.id'),
});

export const Student = model(
  'Student',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
    grade: String(20),
  },
  { relationships: { teachers: relationship('Teacher', { secondary: 'association', backPopulates: 'students' }) } },
);

export const Teacher = model(
  'Teacher',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
    office: String(20),
  },
  { relationships: { students: relationship('Student', { secondary: 'association', backPopulates: 'teachers' }) } },
);
