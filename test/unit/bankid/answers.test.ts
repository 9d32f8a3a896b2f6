import fc from 'fast-check';
import { readAuthAnswer, readCollectAnswer } from '../../../lib/providers/bankid';
import { PushError } from '../../../lib/errors';

const ORDER = '131daac9-16c6-4618-beb0-365768f37288';
const PNR = '198512249874';

const complete = () => ({
  orderRef: ORDER,
  status: 'complete',
  completionData: {
    user: { personalNumber: PNR, name: 'Alma Ek', givenName: 'Alma', surname: 'Ek' },
    device: { ipAddress: '192.0.2.10', uhi: 'OZvYM9VvyiAmG7NA5jU5zRGcRZ8vFk' },
    bankIdIssueDate: '2020-02-01Z',
    signature: 'PD94bWw=',
    ocspResponse: 'MIIHfgoBAKCCB3c=',
  },
});

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('BankID answer parsing', () => {
  it('reads a well-formed /auth answer', () => {
    const answer = {
      orderRef: ORDER,
      autoStartToken: '7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6',
      qrStartToken: '67df3917-fa0d-44e5-b327-edcc928297f8',
      qrStartSecret: 'd28db9a7-4cde-429e-a983-359be676944c',
    };
    expect(readAuthAnswer(answer)).toEqual(answer);
  });

  it('reads pending, failed and complete collect answers', () => {
    expect(readCollectAnswer({ orderRef: ORDER, status: 'pending', hintCode: 'userSign' }, ORDER)).toEqual({
      status: 'pending',
      hintCode: 'userSign',
    });
    expect(readCollectAnswer({ orderRef: ORDER, status: 'pending' }, ORDER)).toEqual({
      status: 'pending',
      hintCode: undefined,
    });
    expect(readCollectAnswer({ orderRef: ORDER, status: 'failed', hintCode: 'userCancel' }, ORDER)).toEqual({
      status: 'failed',
      hintCode: 'userCancel',
    });
    expect(readCollectAnswer(complete(), ORDER)).toMatchObject({
      status: 'complete',
      completionData: { user: { personalNumber: PNR } },
    });
  });

  it.each([
    ['another order', () => ({ ...complete(), orderRef: 'aaaaaaaa-other' }), 'transaction_mismatch'],
    ['an unknown status', () => ({ orderRef: ORDER, status: 'done' }), 'invalid_response'],
    ['failed without a hint code', () => ({ orderRef: ORDER, status: 'failed' }), 'invalid_response'],
    [
      'a hint code that is not an identifier',
      () => ({ orderRef: ORDER, status: 'pending', hintCode: '<b>' }),
      'invalid_response',
    ],
    ['complete without completionData', () => ({ orderRef: ORDER, status: 'complete' }), 'invalid_response'],
    [
      'a short personal number',
      () => {
        const a = complete();
        a.completionData.user.personalNumber = '8512249874';
        return a;
      },
      'invalid_response',
    ],
    [
      'no signature',
      () => {
        const a: Record<string, unknown> & ReturnType<typeof complete> = complete();
        delete (a.completionData as Partial<ReturnType<typeof complete>['completionData']>).signature;
        return a;
      },
      'invalid_response',
    ],
    [
      'an unknown risk level',
      () => ({ ...complete(), completionData: { ...complete().completionData, risk: 'none' } }),
      'invalid_response',
    ],
  ])('refuses %s', (_what, make, code) => {
    expect(thrown(() => readCollectAnswer(make(), ORDER))).toMatchObject({ kind: 'protocol', code });
  });

  it('no error message quotes the personal number or any other answer value', () => {
    const answer = complete();
    answer.completionData.user.name = `x\u0000${PNR}`;
    const error = thrown(() => readCollectAnswer(answer, ORDER)) as Error;
    expect(error.message).not.toContain(PNR);
  });

  it('never crashes and fails closed on arbitrary input: only a PushError, or a well-formed answer', () => {
    const nearlyComplete = fc.record(
      {
        orderRef: fc.constantFrom(ORDER, 'x', 42),
        status: fc.constantFrom('pending', 'failed', 'complete', 'other'),
        hintCode: fc.oneof(fc.string(), fc.constant('userSign')),
        completionData: fc.oneof(
          fc.anything(),
          fc.record({
            user: fc.record({
              personalNumber: fc.oneof(fc.constant(PNR), fc.string()),
              name: fc.string(),
              givenName: fc.string(),
              surname: fc.string(),
            }),
            device: fc.record({ ipAddress: fc.oneof(fc.constant('192.0.2.1'), fc.string()) }),
            signature: fc.oneof(fc.constant('PD94bWw='), fc.string()),
            ocspResponse: fc.oneof(fc.constant('MIIH'), fc.string()),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), nearlyComplete), (value) => {
        let answer;
        try {
          answer = readCollectAnswer(value, ORDER);
        } catch (error) {
          expect(error).toBeInstanceOf(PushError);
          expect((error as PushError).message).not.toContain(PNR);
          return;
        }
        if (answer.status === 'complete') {
          expect(answer.completionData.user.personalNumber).toMatch(/^\d{12}$/);
          expect((value as { orderRef: unknown }).orderRef).toBe(ORDER);
        }
      }),
      { numRuns: 500 },
    );
  });
});
