import { PNG } from 'pngjs';
import type { SecSignIdProvider } from '../../../lib/providers/secsign-id';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { SERVICE, phoneView, providerFor, signal } from './setup';

let sim: SecSignIdSimulator;
let provider: SecSignIdProvider;

beforeEach(async () => {
  sim = await SecSignIdSimulator.start({ users: ['alice', 'bob'] });
  provider = providerFor(sim.url);
});
afterEach(() => sim.close());

describe('SecSignIdProvider against the simulator', () => {
  it('starts a session with the exact wire parameters and returns the access pass', async () => {
    const started = await provider.start({ userId: '  Alice ' }, signal());

    expect(sim.lastRequest?.method).toBe('POST');
    expect(sim.lastRequest?.path).toBe('/');
    expect(sim.lastRequest?.contentType).toBe('application/x-www-form-urlencoded');
    expect(sim.lastRequest?.keys).toEqual([
      'apimethod',
      'request',
      'secsignid',
      'servicename',
      'serviceaddress',
    ]);
    expect(sim.lastRequest?.params).toEqual({
      apimethod: 'SecSignIDApi_Node.js',
      request: 'ReqRequestAuthSession',
      secsignid: 'alice',
      servicename: 'Example Shop',
      serviceaddress: 'https://shop.example',
    });
    expect(sim.lastRequest?.body).toBe(
      'apimethod=SecSignIDApi_Node.js&request=ReqRequestAuthSession&secsignid=alice' +
        '&servicename=Example+Shop&serviceaddress=https%3A%2F%2Fshop.example',
    );

    expect(Object.keys(started.handle).sort()).toEqual(['authsessionid', 'requestid', 'secsignid']);
    expect(started.handle['secsignid']).toBe('alice');
    expect(started.handle['authsessionid']).toMatch(/^-?\d{1,19}$/);
    expect(started.handle['requestid']).toMatch(/^[0-9A-F]{64}$/);
    expect(started.pollIntervalMs).toBe(3000);
    expect(JSON.stringify(started.handle).length).toBeLessThan(200);

    const pass = started.display.accessPass ?? '';
    expect(pass).toMatch(/^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from(pass.slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height]).toEqual([88, 88]);
  });

  it('sends pluginname and showaccesspass when they are set, and the custom apimethod', async () => {
    const custom = providerFor(sim.url, {
      pluginName: 'shop login',
      showAccessPass: true,
      apiMethod: 'SecSignIDApi_JS',
    });
    await custom.start({ userId: 'bob' }, signal());
    expect(sim.lastRequest?.keys).toEqual([
      'apimethod',
      'request',
      'secsignid',
      'servicename',
      'serviceaddress',
      'pluginname',
      'showaccesspass',
    ]);
    expect(sim.lastRequest?.params).toMatchObject({
      apimethod: 'SecSignIDApi_JS',
      pluginname: 'shop login',
      showaccesspass: 'true',
    });
  });

  it('uses the service name and address of the start request when the strategy passes them', async () => {
    await provider.start({ userId: 'bob', serviceName: 'Admin', serviceAddress: 'admin.example' }, signal());
    expect(sim.lastRequest?.params).toMatchObject({ servicename: 'Admin', serviceaddress: 'admin.example' });
  });

  it('approves only after the phone picks the right pass, with the server’s ID as subject', async () => {
    const started = await provider.start({ userId: 'Alice' }, signal());
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'pending' });
    expect(sim.lastRequest?.keys).toEqual([
      'apimethod',
      'secsignid',
      'authsessionid',
      'requestid',
      'request',
    ]);
    expect(sim.lastRequest?.params).toEqual({
      apimethod: 'SecSignIDApi_Node.js',
      secsignid: 'alice',
      authsessionid: started.handle['authsessionid'],
      requestid: started.handle['requestid'],
      request: 'ReqGetAuthSessionState',
    });

    const view = phoneView(sim, 'alice', started);
    expect(view.choices).toHaveLength(4);
    expect(new Set(view.choices).size).toBe(4);
    expect(view.choice).toBeGreaterThanOrEqual(0);
    const wrong = (view.choice + 1) % view.choices.length;
    expect(sim.phone.approve(view.id, wrong)).toBe(false);
    expect(sim.phone.approve(view.id)).toBe(false);
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'pending' });

    expect(sim.phone.approve(view.id, view.choice)).toBe(true);
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'approved', subject: 'alice' });
    expect(sim.calls).toEqual({ ReqRequestAuthSession: 1, ReqGetAuthSessionState: 3 });
  });

  it('reports fetched while the phone has the request open, then approved', async () => {
    const started = await provider.start({ userId: 'alice' }, signal());
    const view = phoneView(sim, 'alice', started);
    sim.phone.fetch(view.id);
    expect(sim.phone.pending('alice')[0]?.fetched).toBe(true);
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'fetched' });
    expect(sim.phone.approve(view.id, view.choice)).toBe(true);
    expect(await provider.check(started.handle, signal())).toMatchObject({
      state: 'approved',
      subject: 'alice',
    });
  });

  it('ends in denied when the user denies on the phone', async () => {
    const started = await provider.start({ userId: 'alice' }, signal());
    sim.phone.deny(phoneView(sim, 'alice', started).id);
    const status = await provider.check(started.handle, signal());
    expect(status).toEqual({
      state: 'denied',
      message: { key: 'secsign.denied', text: expect.stringMatching(/denied/) },
    });
    expect(sim.phone.pending('alice')).toEqual([]);
  });

  it('ends in expired when the phone lets it expire', async () => {
    const started = await provider.start({ userId: 'alice' }, signal());
    sim.phone.expire(phoneView(sim, 'alice', started).id);
    expect((await provider.check(started.handle, signal())).state).toBe('expired');
  });

  it('suspends the older session when the same ID starts a second login', async () => {
    const first = await provider.start({ userId: 'alice' }, signal());
    const second = await provider.start({ userId: 'ALICE' }, signal());
    expect(second.handle['authsessionid']).not.toBe(first.handle['authsessionid']);
    expect(second.display.accessPass).not.toBe(first.display.accessPass);

    expect((await provider.check(first.handle, signal())).state).toBe('suspended');
    expect((await provider.check(second.handle, signal())).state).toBe('pending');
    expect(sim.phone.pending('alice').map((r) => r.id)).toEqual([second.handle['authsessionid']]);
    // Another ID is not affected.
    const bob = await provider.start({ userId: 'bob' }, signal());
    expect((await provider.check(second.handle, signal())).state).toBe('pending');
    expect((await provider.check(bob.handle, signal())).state).toBe('pending');
  });

  it('cancels at the server; the session cannot be queried afterwards', async () => {
    const started = await provider.start({ userId: 'alice' }, signal());
    await provider.cancel(started.handle, signal());
    expect(sim.lastRequest?.params).toEqual({
      apimethod: 'SecSignIDApi_Node.js',
      secsignid: 'alice',
      authsessionid: started.handle['authsessionid'],
      requestid: started.handle['requestid'],
      request: 'ReqCancelAuthSession',
    });
    expect(sim.stateOf(String(started.handle['authsessionid']))).toBeUndefined();
    expect(sim.phone.pending('alice')).toEqual([]);
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'provider',
      retryable: false,
    });
  });

  it('refuses an unknown ID with the server’s error values', async () => {
    await expect(provider.start({ userId: 'mallory' }, signal())).rejects.toMatchObject({
      name: 'PushError',
      kind: 'input',
      code: 'unknown_user',
      retryable: false,
      details: {
        error: '500',
        errormsg: 'A SecSign ID does not exist with that name.',
        errorcode: '20000',
        providerCode: '20000',
      },
    });
  });

  it('does not approve with another session’s request id', async () => {
    const alice = await provider.start({ userId: 'alice' }, signal());
    const bob = await provider.start({ userId: 'bob' }, signal());
    const view = phoneView(sim, 'alice', alice);
    sim.phone.approve(view.id, view.choice);
    const forged = { ...alice.handle, requestid: bob.handle['requestid'] ?? '' };
    await expect(provider.check(forged, signal())).rejects.toMatchObject({ kind: 'provider' });
  });

  it('shows a confirm-only display when the access pass is switched off', async () => {
    const noPass = providerFor(sim.url, { showAccessPass: false });
    const started = await noPass.start({ userId: 'alice' }, signal());
    expect(sim.lastRequest?.params['showaccesspass']).toBe('false');
    expect(started.display).toEqual({
      instruction: 'Confirm the login on your phone.',
      instructionKey: 'secsign.instruction',
    });
    const [request] = sim.phone.pending('alice');
    expect(request?.choices).toBeUndefined();
    expect(sim.phone.approve(request?.id ?? '')).toBe(true);
    expect(await noPass.check(started.handle, signal())).toEqual({ state: 'approved', subject: 'alice' });
  });
});

describe('SecSignIdSimulator clock', () => {
  it('expires pending sessions lazily after the configured lifetime', async () => {
    let now = 1_000_000;
    const clocked = await SecSignIdSimulator.start({
      users: ['alice'],
      pendingLifetimeMs: 60_000,
      now: () => now,
    });
    try {
      const p = providerFor(clocked.url, SERVICE);
      const started = await p.start({ userId: 'alice' }, signal());
      now += 59_999;
      expect((await p.check(started.handle, signal())).state).toBe('pending');
      now += 1;
      expect((await p.check(started.handle, signal())).state).toBe('expired');
      expect(clocked.phone.pending('alice')).toEqual([]);
      expect(clocked.phone.approve(String(started.handle['authsessionid']), 0)).toBe(false);
    } finally {
      await clocked.close();
    }
  });
});
