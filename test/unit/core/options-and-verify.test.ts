import { PushError, PushStrategy, pushLogin } from '../../../lib';
import { callVerify } from '../../../lib/core/verify';
import { ScriptedProvider } from '../../../lib/testing';

const verify = async () => false as const;

describe('PushStrategy construction', () => {
  test.each([
    ['no options', undefined, /options object/],
    ['no provider', {}, /provider/],
    ['an empty name', { provider: new ScriptedProvider(), name: '' }, /name/],
    ['a negative interval', { provider: new ScriptedProvider(), pollIntervalMs: -1 }, /pollIntervalMs/],
    ['a global pattern', { provider: new ScriptedProvider(), userIdPattern: /a/g }, /g or y flag/],
    [
      'a provider that does not declare its user ID need',
      { provider: Object.assign(new ScriptedProvider(), { userId: undefined }) },
      /userId/,
    ],
    [
      'a provider that does not declare its subject rule',
      { provider: Object.assign(new ScriptedProvider(), { subjectRule: 'maybe' }) },
      /subjectRule/,
    ],
    [
      'a personal-ID audit setting that is no boolean',
      { provider: new ScriptedProvider(), auditPersonalIds: 'yes' },
      /auditPersonalIds/,
    ],
    [
      'an unknown subject policy',
      { provider: new ScriptedProvider(), subjectMatch: 'loose' },
      /subjectMatch/,
    ],
  ])('refuses %s with a config PushError', (_name, options, message) => {
    expect(() => new PushStrategy(options as never, verify)).toThrow(message);
    try {
      new PushStrategy(options as never, verify);
    } catch (error) {
      expect(error).toBeInstanceOf(PushError);
      expect((error as PushError).kind).toBe('config');
    }
  });

  test('refuses a missing verify callback', () => {
    expect(() => new PushStrategy({ provider: new ScriptedProvider() }, undefined as never)).toThrow(
      /verify callback/,
    );
  });

  test('defaults: name push, session key per provider', () => {
    const strategy = new PushStrategy({ provider: new ScriptedProvider({ name: 'secsign-id' }) }, verify);
    expect(strategy.name).toBe('push');
    expect(strategy.sessionKey).toBe('push:secsign-id');
  });
});

describe('callVerify', () => {
  test('done(null, user)', async () => {
    await expect(callVerify((done) => done(null, { id: 1 }))).resolves.toEqual({
      user: { id: 1 },
      message: undefined,
    });
  });

  test('a resolved promise', async () => {
    await expect(callVerify(() => Promise.resolve({ id: 2 }))).resolves.toEqual({
      user: { id: 2 },
      message: undefined,
    });
  });

  test('false with a message', async () => {
    await expect(callVerify((done) => done(null, false, { message: 'no' }))).resolves.toEqual({
      user: false,
      message: 'no',
    });
  });

  test('null and undefined mean no user', async () => {
    await expect(callVerify(() => Promise.resolve(null))).resolves.toMatchObject({ user: false });
    await expect(callVerify(() => Promise.resolve(undefined))).resolves.toMatchObject({ user: false });
  });

  test('true is refused: it names nobody', async () => {
    await expect(callVerify(() => Promise.resolve(true))).rejects.toThrow(/returned true/);
  });

  test('a synchronous throw and a rejection become errors', async () => {
    await expect(
      callVerify(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(callVerify(() => Promise.reject(new Error('async')))).rejects.toThrow('async');
  });

  test('the first settlement wins when both forms are used', async () => {
    await expect(
      callVerify((done) => {
        done(null, { id: 'done' });
        return Promise.resolve({ id: 'promise' });
      }),
    ).resolves.toMatchObject({ user: { id: 'done' } });
  });
});

describe('pushLogin construction', () => {
  test.each([
    ['no options', undefined],
    ['a strategy name instead of the instance', { strategy: 'push' }],
  ])('refuses %s with a config PushError', (_name, options) => {
    expect(() => pushLogin(options as never)).toThrow(/PushStrategy instance/);
  });
});
