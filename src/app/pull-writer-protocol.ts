/** The cells shared by `db pull`'s main thread and its writer thread (./pull-writer.ts). */
export const STATE = 0;
export const REQUEST = 1;

/** What the writer thread has done (cell STATE). */
export const State = { Writing: 0, Written: 1, Kept: 2, Undone: 3, Failed: 4 } as const;
export type State = (typeof State)[keyof typeof State];

/** What the main thread asks (cell REQUEST). */
export const Request = { None: 0, Keep: 1, Undo: 2 } as const;
export type Request = (typeof Request)[keyof typeof Request];
