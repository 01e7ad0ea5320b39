import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import { useHostedFields } from '../../src/react/useHostedFields';
import { useHostedFieldsSession } from '../../src/react/useHostedFieldsSession';

function Checkout() {
  const hf = useHostedFieldsSession({ endpoint: '/api/hosted-fields-session', scenario: 'payment', environment: 'test' });
  const fields = useHostedFields({
    session: hf,
    fields: { card: { cardNumber: { target: '#card-number' }, expiryDate: { target: '#expiry' }, submit: { target: '#submit' } } },
  });
  return (
    <p>
      {`${hf.status} / ${hf.scriptStatus} / ${fields.status} / ${hf.session?.token ?? 'no token'}`}
      <span id="card-number" />
    </p>
  );
}

it('renders on the server without touching window, fetch or the DOM', () => {
  expect(typeof window).toBe('undefined');
  const html = renderToString(<Checkout />);
  expect(html).toContain('loading / loading / idle / no token');
});
