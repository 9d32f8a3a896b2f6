import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';

let sim: SecSignIdSimulator;
beforeEach(async () => {
  sim = await SecSignIdSimulator.start({ users: ['Alice'] });
});
afterEach(() => sim.close());

async function post(
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{
  status: number;
  text: string;
  fields: Record<string, string>;
}> {
  const response = await fetch(sim.url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await response.text();
  const fields = Object.fromEntries(
    text.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { status: response.status, text, fields };
}

const START =
  'apimethod=SecSignIDApi_PHP&request=ReqRequestAuthSession&secsignid=alice&servicename=Shop&serviceaddress=shop';

describe('SecSignIdSimulator wire behaviour', () => {
  it('answers a start in the raw format with a real 88×88 RGBA PNG', async () => {
    const { status, text, fields } = await post(START);
    expect(status).toBe(200);
    expect(Object.keys(fields)).toEqual([
      'authsessionid',
      'servicename',
      'secsignid',
      'authsessionstate',
      'serviceaddress',
      'requestid',
      'authsessionicondata',
    ]);
    expect(text).not.toMatch(/%/);
    expect(fields['authsessionstate']).toBe('1');
    expect(fields['requestid']).toMatch(/^[0-9A-F]{64}$/);
    const n = BigInt(fields['authsessionid'] ?? 'x');
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
    const png = Buffer.from(fields['authsessionicondata'] ?? '', 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([88, 88, 8, 6]);
  });

  it('accepts the other clients’ encodings: %20, a trailing &, Node’s order', async () => {
    const node =
      'secsignid=ALICE&servicename=My%20Shop&serviceaddress=shop&request=ReqRequestAuthSession&apimethod=x&';
    const { fields } = await post(node);
    expect(fields['servicename']).toBe('My Shop');
    expect(fields['secsignid']).toBe('alice');
  });

  it.each([
    ['a missing parameter', START.replace('&serviceaddress=shop', ''), /missing serviceaddress/],
    ['an unknown parameter', `${START}&scriptversion=1`, /unexpected parameter scriptversion/],
    ['a repeated parameter', `${START}&secsignid=bob`, /repeated/],
    ['a malformed ID', START.replace('secsignid=alice', 'secsignid=al+ice'), /malformed secsignid/],
    ['a malformed showaccesspass', `${START}&showaccesspass=yes`, /malformed showaccesspass/],
    ['an unknown request', 'apimethod=x&request=ReqDoSomething', /unknown request/],
    ['no request', 'apimethod=x', /unknown request/],
    [
      'a malformed authsessionid',
      `apimethod=x&secsignid=alice&authsessionid=abc&requestid=${'A'.repeat(64)}&request=ReqGetAuthSessionState`,
      /malformed authsessionid/,
    ],
  ])('answers %s with an error in the body and HTTP 200', async (_what, body, message) => {
    const { status, fields } = await post(body);
    expect(status).toBe(200);
    expect(fields['error']).toBe('400');
    expect(fields['errormsg']).toMatch(message);
  });

  it('refuses a body that is not form-encoded', async () => {
    expect((await post(START, 'application/json')).fields['error']).toBe('400');
  });

  it('answers the unknown-ID error exactly like the real server', async () => {
    const { status, text } = await post(START.replace('alice', 'mallory'));
    expect(status).toBe(200);
    expect(text).toBe('error=500&errormsg=A SecSign ID does not exist with that name.&errorcode=20000');
    sim.addUser('MALLORY');
    expect((await post(START.replace('alice', 'mallory'))).fields['authsessionstate']).toBe('1');
  });

  it('records ReqReleaseAuthSession and refuses state queries with a wrong request id', async () => {
    const { fields } = await post(START);
    const ref = `apimethod=x&secsignid=alice&authsessionid=${fields['authsessionid']}`;
    expect(
      (await post(`${ref}&requestid=${fields['requestid']}&request=ReqReleaseAuthSession`)).fields[
        'authsessionstate'
      ],
    ).toBe('1');
    expect(sim.releases).toEqual([fields['authsessionid']]);
    expect(
      (await post(`${ref}&requestid=${'B'.repeat(64)}&request=ReqGetAuthSessionState`)).fields['error'],
    ).toBe('400');
    expect((await post(`${ref}&requestid=${fields['requestid']}&request=ReqGetAuthSessionState`)).text).toBe(
      `authsessionid=${fields['authsessionid']}&secsignid=alice&authsessionstate=1`,
    );
    expect(sim.calls).toEqual({
      ReqRequestAuthSession: 1,
      ReqReleaseAuthSession: 1,
      ReqGetAuthSessionState: 2,
    });
  });

  it('answers anything but POST / with an HTML 404, like the routing server', async () => {
    const response = await fetch(sim.url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('gives concurrent sessions distinct passes and the phone distinct decoys', async () => {
    sim.addUser('bob');
    sim.addUser('carol');
    const passes: (string | undefined)[] = [];
    // One after another, so "newest first" has a defined answer.
    for (const id of ['alice', 'bob', 'carol']) {
      passes.push((await post(START.replace('alice', id))).fields['authsessionicondata']);
    }
    expect(new Set(passes).size).toBe(3);
    for (const request of sim.phone.pending()) {
      expect(request.choices).toHaveLength(4);
      expect(new Set(request.choices).size).toBe(4);
      // The same grid each time the phone looks.
      expect(sim.phone.pending(request.userId)[0]?.choices).toEqual(request.choices);
    }
    expect(sim.phone.pending().map((r) => r.userId)).toEqual(['carol', 'bob', 'alice']);
  });

  it('throws from the phone API for a session that is not pending', () => {
    expect(() => sim.phone.deny('123')).toThrow(/no pending session/);
    expect(sim.phone.approve('123', 0)).toBe(false);
  });
});
