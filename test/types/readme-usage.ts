/**
 * README's examples, type-checked by `tsc --noEmit` (never run): if the public types drift from
 * what the README shows, CI's type check fails.
 */
import express from 'express';
import passport from 'passport';
import { PushStrategy, pushLogin, pushOutcome, SecSignIdProvider } from '../../lib';
import { RedisCompletionStore, RedisRateLimitStore, type RedisClient } from '../../lib/redis';

interface User {
  id: string;
}
declare const users: { findBySecSignId(id: string): User | undefined };
declare const redis: RedisClient;
const app = express();

// The strategy line of Usage (the whole Usage app is examples/minimal.ts, run by test/examples)
const provider = new SecSignIdProvider({ serviceName: 'Example', serviceAddress: 'https://example.com' });
const strategy = new PushStrategy({ provider }, async (subject) => users.findBySecSignId(subject) ?? false);
passport.use(strategy);
app.use('/auth/push', pushLogin({ strategy, successRedirect: '/', failureRedirect: '/login' }));

// The node-style verify, and passReqToCallback
passport.use(
  new PushStrategy({ provider, name: 'push-done' }, (subject, _info, done) => done(null, { id: subject })),
);
passport.use(
  new PushStrategy({ provider, name: 'push-req', passReqToCallback: true }, async (req, subject) => ({
    id: `${req.ip}:${subject}`,
  })),
);

// Wiring passport.authenticate yourself
app.post(
  '/login/push',
  passport.authenticate('push', { action: 'start', failureRedirect: '/login' }),
  (req, res) => {
    res.status(202).json(pushOutcome(req));
  },
);
app.all('/login/push', (req, res, next) =>
  passport.authenticate(
    'push',
    {},
    (err: unknown, user: Express.User | false, info: unknown, status: number) => {
      if (err) return next(err);
      if (user) return req.logIn(user, (e) => (e ? next(e) : res.json({ state: 'authenticated' })));
      res.status(status).json(info);
    },
    // Pending and cancelled outcomes are no passport action: they reach this `next`.
  )(req, res, () => res.status(202).json(pushOutcome(req))),
);

// Several instances
passport.use(
  new PushStrategy(
    {
      provider,
      name: 'push-shared',
      stores: { completions: new RedisCompletionStore(redis), rateLimits: new RedisRateLimitStore(redis) },
      secret: process.env['PUSH_SECRET'],
    },
    async (subject) => ({ id: subject }),
  ),
);
