import { model, relationship, Integer, String, Text } from 'kiln';

/** Cascade 'all, delete-orphan': comment.post_id is ON DELETE CASCADE; deleting a post deletes its comments. */
export const Post = model(
  'Post',
  {
    id: Integer().primaryKey(),
    title: String(50).unique(),
    body: Text(),
  },
  { relationships: { comments: relationship('Comment', { backPopulates: 'post', cascade: 'all, delete-orphan' }) } },
);

export const Comment = model(
  'Comment',
  {
    id: Integer().primaryKey(),
    body: Text(),
    post_id: Integer().references('post.id'),
  },
  { relationships: { post: relationship('Post', { backPopulates: 'comments' }) } },
);
