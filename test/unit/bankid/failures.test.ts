import { errorFromAnswer } from '../../../lib/providers/bankid';

describe('BankID error answers', () => {
  it('keeps BankID code in details.providerCode and never copies the free-text details', () => {
    const error = errorFromAnswer(
      400,
      JSON.stringify({ errorCode: 'invalidParameters', details: 'pno 198512249874' }),
    );
    expect(error).toMatchObject({
      kind: 'provider',
      code: 'provider_error',
      retryable: false,
      details: { status: 400, providerCode: 'invalidParameters' },
    });
    expect(JSON.stringify(error.details) + error.message).not.toContain('198512249874');
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [401, false],
    [404, false],
  ])('a non-JSON answer with HTTP %i is retryable: %s', (status, retryable) => {
    expect(errorFromAnswer(status, '<html>oops</html>')).toMatchObject({ retryable });
  });

  it('ignores an errorCode that is not an identifier', () => {
    const error = errorFromAnswer(400, JSON.stringify({ errorCode: '<script>' }));
    expect(error.details['providerCode']).toBeUndefined();
    expect(error.message).not.toContain('<script>');
  });

  it('does not take an errorCode from the prototype chain', () => {
    expect(errorFromAnswer(400, JSON.stringify({ errorCode: 'constructor' }))).toMatchObject({
      code: 'provider_error',
      details: { providerCode: 'constructor' },
    });
  });
});
