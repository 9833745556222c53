import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// cascade 'all, delete-orphan': deleting a post deletes its comments (ON DELETE CASCADE).
const POSTS = [
  {
    title: 'i have a good plan',
    body: 'tomorrow i will go to climbing',
    comments: ['very good', 'excellent'],
  },
  {
    title: 'today learn python',
    body: 'python include class and object',
    comments: ['i also wanna learn python', 'python is easy to learn, but you have to pay your time every day'],
  },
];

export async function seed(knex: Knex): Promise<void> {
  for (const post of POSTS) {
    const id = await ensureRow(knex, 'post', { title: post.title }, { body: post.body });
    for (const body of post.comments) await ensureRow(knex, 'comment', { body, post_id: id });
  }
}
