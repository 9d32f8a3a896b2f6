import request from 'supertest';
import { ScriptedProvider } from '../../../lib/testing';
import { buildTestApp } from '../../helpers/app';

// A plain HTML form, no JavaScript: every step is a redirect or a page that refreshes itself.
describe('HTML form flow without JavaScript', () => {
  function setup() {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider });
    return { provider, agent: request.agent(app) };
  }

  test('form start → 303 wait page → refresh while pending → 303 to successRedirect', async () => {
    const { provider, agent } = setup();
    await agent
      .post('/auth/push/start')
      .type('form')
      .send('username=alice')
      .expect(303)
      .expect('Location', '/auth/push/wait');

    const wait = await agent
      .get('/auth/push/wait')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(wait.text).toContain('CODE-c1'); // the display survives the redirect
    expect(wait.text).toMatch(/<noscript><meta http-equiv="refresh" content="\d+;url=\/auth\/push\/wait">/);
    expect(wait.text).toContain('action="/auth/push/cancel"');
    expect(wait.headers['content-security-policy']).toContain("script-src 'self'");
    // A page of one login: never cached, never sniffed as anything but HTML.
    expect(wait.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(wait.headers['cache-control']).toBe('no-store');
    expect(wait.headers['x-content-type-options']).toBe('nosniff');

    provider.answer('fetched');
    const fetched = await agent.get('/auth/push/wait').expect(200);
    expect(fetched.text).toContain('Opened on your phone');

    provider.answer('approved');
    await agent.get('/auth/push/wait').expect(303).expect('Location', '/me');
    await agent.get('/me').expect(200);
  });

  test('a denial sends the browser to failureRedirect with the reason', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').type('form').send('username=alice');
    provider.answer('denied');
    const denied = await agent.get('/auth/push/wait').expect(303).expect('Location', '/login?push=denied');
    // A cached redirect would send the next login straight to the old answer.
    expect(denied.headers['cache-control']).toBe('no-store');
  });

  test('a failureRedirect with its own query keeps it, the reason added after', async () => {
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, router: { failureRedirect: '/login?next=%2Faccount' } });
    const agent = request.agent(app);
    await agent.post('/auth/push/start').type('form').send('username=alice');
    provider.answer('denied');
    await agent.get('/auth/push/wait').expect(303).expect('Location', '/login?next=%2Faccount&push=denied');
  });

  test('the status route answers HTML clients like the wait page', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').type('form').send('username=alice');
    await agent.get('/auth/push/status').expect(200, /Check your phone/);
    provider.answer('approved');
    await agent.get('/auth/push/status').expect(303).expect('Location', '/me');
  });

  test('cancel from the form goes to the login page, reason cancelled', async () => {
    const { provider, agent } = setup();
    await agent.post('/auth/push/start').type('form').send('username=alice');
    await agent
      .post('/auth/push/cancel')
      .type('form')
      .expect(303)
      .expect('Location', '/login?push=cancelled');
    expect(provider.latest.cancelled).toBe(true);
  });

  test('a bad ID from the form goes back to the login page with the reason', async () => {
    const { provider, agent } = setup();
    await agent
      .post('/auth/push/start')
      .type('form')
      .send('username=')
      .expect(303)
      .expect('Location', '/login?push=missing_user_id');
    expect(provider.calls.start).toBe(0);
  });

  test('user-controlled text is escaped on the wait page', async () => {
    const { agent } = setup();
    // The default pattern refuses markup, so use a strategy that allows anything printable.
    const provider = new ScriptedProvider();
    const { app } = buildTestApp({ provider, strategy: { userIdPattern: /^[^\s]+$/ } });
    const other = request.agent(app);
    await other.post('/auth/push/start').type('form').send({ username: '<script>alert(1)</script>' });
    const page = await other.get('/auth/push/wait').expect(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(agent).toBeDefined();
  });

  test('the poller script and stylesheet are served', async () => {
    const { agent } = setup();
    await agent
      .get('/auth/push/client.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await agent
      .get('/auth/push/client.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
  });
});
