/**
 * README's "Session cookie" example (Security section), type-checked by `tsc --noEmit` (never run);
 * test/examples/docs-and-imports.test.ts checks that README shows the code below the marker as it is.
 */
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { pushLogin, type PushStrategy } from 'passport-push';

declare const strategy: PushStrategy<Express.User>;
declare const store: session.Store;
const app = express();

// README: session cookie
const production = process.env.NODE_ENV === 'production';
app.set('trust proxy', 1); // behind a TLS-terminating proxy: req.secure follows X-Forwarded-Proto
app.use(
  session({
    // `__Host-`: the browser accepts it only from this exact host, over HTTPS, with Path=/ and no
    // Domain, so a sibling subdomain or a plain-HTTP response cannot plant or overwrite it.
    name: production ? '__Host-sid' : 'sid',
    secret: process.env.SESSION_SECRET ?? '',
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: production, sameSite: 'lax', path: '/' },
  }),
);
app.use(passport.initialize());
app.use(passport.session());
app.use(
  '/auth/push',
  pushLogin({ strategy, deviceSecret: process.env.PUSH_DEVICE_SECRET ?? '' }), // 32+ random characters
);
