/**
 * defineConfig's types (checked by tsc in `npm run lint`) and values: an object, a promise of
 * one, or a function returning one; kiln awaits the last two (test/cli/project.test.ts).
 */
import { defineConfig } from 'kiln';

test('defineConfig takes an object, a promise or a function, and returns it as it is', async () => {
  expect(defineConfig({ database: 'sqlite://' })).toEqual({ database: 'sqlite://' });
  await expect(defineConfig(Promise.resolve({ models: 'm' }))).resolves.toEqual({ models: 'm' });
  const fn = defineConfig(async () => ({ seeds: 's' }));
  await expect(fn()).resolves.toEqual({ seeds: 's' });
  // @ts-expect-error an unknown option is a type error
  defineConfig({ modles: 'typo' });
  // @ts-expect-error so is one in a promise
  defineConfig(Promise.resolve({ lockTimeout: '60' }));
});
