import { KilnError } from '../errors';

/** The migration lock was not free within the lock timeout. */
export function lockedError(seconds: number): KilnError {
  return new KilnError('LOCKED', `another process is migrating this database; gave up waiting after ${seconds} s`, {
    hint: 'raise the wait with KILN_LOCK_TIMEOUT=<seconds> or lockTimeout in kiln.config.ts',
  });
}
