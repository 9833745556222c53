import type { Knex } from 'knex';
import { ensureLink, ensureRow } from './_upsert';

// Many-to-many through the association table.
export async function seed(knex: Knex): Promise<void> {
  const students = {
    jack: await ensureRow(knex, 'student', { name: 'Jack' }, { grade: 'A' }),
    lily: await ensureRow(knex, 'student', { name: 'Lily' }, { grade: 'B' }),
  };
  const teachers = {
    smith: await ensureRow(knex, 'teacher', { name: 'Mr. Smith' }, { office: 'Room 101' }),
    wang: await ensureRow(knex, 'teacher', { name: 'Ms. Wang' }, { office: 'Room 202' }),
  };
  await ensureLink(knex, 'association', { student_id: students.jack, teacher_id: teachers.smith });
  await ensureLink(knex, 'association', { student_id: students.jack, teacher_id: teachers.wang });
  await ensureLink(knex, 'association', { student_id: students.lily, teacher_id: teachers.wang });
}
