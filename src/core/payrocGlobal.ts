// Types of the Hosted Fields library's browser API, as Payroc documents it (../shared/payroc-docs/FACTS.md).

/**
 * One card field: where its iframe goes, where its error message goes, and its placeholder.
 * Every selector must match exactly one element.
 *
 * @example
 * const cardNumber: HostedFieldsFieldConfig = { target: '#card-number', errorTarget: '#card-number-error' };
 */
export interface HostedFieldsFieldConfig {
  target: string;
  errorTarget?: string;
  placeholder?: string;
}

/**
 * The CVV field also needs `wrapperTarget`: a selector, or `false` for none.
 *
 * @example
 * const cvv: HostedFieldsCvvFieldConfig = { target: '#cvv', wrapperTarget: '#cvv-wrapper' };
 */
export interface HostedFieldsCvvFieldConfig extends HostedFieldsFieldConfig {
  wrapperTarget: string | false;
}

/**
 * The submit button Payroc renders in its own iframe. The customer submits with it; there is no `submit()` method.
 *
 * @example
 * const submit: HostedFieldsSubmitConfig = { target: '#submit', value: 'Pay $10.00' };
 */
export interface HostedFieldsSubmitConfig {
  target: string;
  value?: string;
}

/**
 * Card fields, as `fields.card` takes them.
 *
 * @example
 * const card: HostedFieldsCardFields = {
 *   cardholderName: { target: '#name' },
 *   cardNumber: { target: '#card-number' },
 *   expiryDate: { target: '#expiry' },
 *   cvv: { target: '#cvv', wrapperTarget: false },
 *   submit: { target: '#submit', value: 'Pay' },
 * };
 */
export interface HostedFieldsCardFields {
  cardholderName?: HostedFieldsFieldConfig;
  cardNumber: HostedFieldsFieldConfig;
  expiryDate: HostedFieldsFieldConfig;
  cvv?: HostedFieldsCvvFieldConfig;
  submit: HostedFieldsSubmitConfig;
}

/**
 * The `fields` member: card fields, or ACH or PAD bank-account fields (whose members Payroc documents elsewhere).
 *
 * @example
 * const fields: HostedFieldsFields = { card: { cardNumber: { target: '#n' }, expiryDate: { target: '#e' }, submit: { target: '#s' } } };
 */
export type HostedFieldsFields =
  | { card: HostedFieldsCardFields }
  | { ach: Record<string, HostedFieldsFieldConfig | HostedFieldsSubmitConfig> }
  | { pad: Record<string, HostedFieldsFieldConfig | HostedFieldsSubmitConfig> };

/**
 * Styling of the fields inside Payroc's iframes.
 *
 * @example
 * const styles: HostedFieldsStyles = { css: { input: { 'font-size': '16px' } } };
 */
export interface HostedFieldsStyles {
  disableDefaultStyles?: boolean;
  css?: Record<string, Record<string, string>>;
}

/**
 * The option object of `new Payroc.hostedFields(…)`.
 *
 * @example
 * new window.Payroc!.hostedFields({ sessionToken: session.token, mode: 'payment', fields: { card } });
 */
export interface HostedFieldsConfig {
  sessionToken: string;
  mode: 'payment' | 'tokenization';
  fields: HostedFieldsFields;
  styles?: HostedFieldsStyles;
  /** Called before the library submits; resolve `false` to cancel (e.g. your own form is invalid). */
  onPreSubmit?: () => boolean | Promise<boolean>;
  locale?: 'en' | 'fr';
}

/**
 * Payload of the `submissionSuccess` event: the single-use token of the card the customer entered.
 *
 * @example
 * instance.on('submissionSuccess', ({ token }) => chargeOnServer(token));
 */
export interface HostedFieldsSubmissionSuccess {
  token: string;
  expiresAt: string;
  [member: string]: unknown;
}

/**
 * Payload of the `error` event.
 *
 * @example
 * instance.on('error', (event) => { if (event.type === 'init') refreshSession(); });
 */
export interface HostedFieldsErrorEvent {
  type: 'config' | 'init' | 'field' | 'submission';
  field?: string;
  message: string;
}

/**
 * Payload of `fieldValidityChange`: `validationError` is absent when the field is valid.
 *
 * @example
 * instance.on('fieldValidityChange', ({ field, validationError }) => setValid(field, !validationError));
 */
export interface HostedFieldsFieldValidityChange {
  field: string;
  validationError?: string;
}

/**
 * Payload of `surchargingAllowed`.
 *
 * @example
 * instance.on('surchargingAllowed', ({ percentage, disclosure }) => showSurcharge(percentage, disclosure));
 */
export interface HostedFieldsSurchargingAllowed {
  percentage: number;
  disclosure: string;
}

/**
 * Every event the library emits, with its payload. There are no others.
 *
 * @example
 * type Payload = HostedFieldsEventMap['submissionSuccess']; // HostedFieldsSubmissionSuccess
 */
export interface HostedFieldsEventMap {
  submissionSuccess: HostedFieldsSubmissionSuccess;
  error: HostedFieldsErrorEvent;
  fieldValidityChange: HostedFieldsFieldValidityChange;
  surchargingAllowed: HostedFieldsSurchargingAllowed;
  surchargingNotAllowed: undefined;
}

/**
 * A Hosted Fields instance. `destroy()` only removes the library's window `message` listener, not its iframes.
 *
 * @example
 * const instance = new window.Payroc!.hostedFields(config);
 * instance.on('submissionSuccess', ({ token }) => pay(token));
 * await instance.initialize();
 */
export interface HostedFieldsInstance {
  initialize(): Promise<void>;
  on<E extends keyof HostedFieldsEventMap>(event: E, handler: (payload: HostedFieldsEventMap[E]) => void): void;
  destroy(): void;
}

/**
 * The constructor the script defines at `window.Payroc.hostedFields`.
 *
 * @example
 * const HostedFields: HostedFieldsConstructor = window.Payroc!.hostedFields;
 */
export type HostedFieldsConstructor = new (config: HostedFieldsConfig) => HostedFieldsInstance;

/**
 * `window.Payroc` once the Hosted Fields script has run.
 *
 * @example
 * const payroc: PayrocGlobal | null = await loadHostedFieldsScript({ environment: 'test' });
 */
export interface PayrocGlobal {
  hostedFields: HostedFieldsConstructor;
}

declare global {
  interface Window {
    /** Defined by the Payroc Hosted Fields script. */
    Payroc?: PayrocGlobal;
  }
}
