// Input rules from Payroc's docs, shared by the server client, the handler, the browser hook and the emulator,
// so that all four accept and reject exactly the same values.

/** `libVersion` as Payroc documents it; the docs print the dots unescaped, we read them as literal dots. */
export const LIB_VERSION_PATTERN = /^\d{1,2}\.\d{1,2}\.\d{1,2}(?:-beta)?\.\d+$/;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuidV4 = (value: unknown): value is string => typeof value === 'string' && UUID_V4.test(value);

export const isScenario = (value: unknown): value is 'payment' | 'tokenization' =>
  value === 'payment' || value === 'tokenization';

const isStringOfLength = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;

/** `secureTokenId`: 1–200 characters. */
export const isSecureTokenId = (value: unknown): value is string => isStringOfLength(value, 1, 200);

/** `processingTerminalId`: 4–50 characters (FACTS.md). */
export const isProcessingTerminalId = (value: unknown): value is string => isStringOfLength(value, 4, 50);

export const isLibVersion = (value: unknown): value is string =>
  typeof value === 'string' && LIB_VERSION_PATTERN.test(value);

/**
 * Checks a session request body the way Payroc does. Returns the first problem as `[field, message]`, or `undefined`.
 */
export function findSessionRequestProblem(body: {
  scenario?: unknown;
  secureTokenId?: unknown;
}): [field: string, message: string] | undefined {
  if (!isScenario(body.scenario)) return ['scenario', "must be 'payment' or 'tokenization'"];
  if (body.secureTokenId !== undefined && !isSecureTokenId(body.secureTokenId)) {
    return ['secureTokenId', 'must be a string of 1 to 200 characters'];
  }
  return undefined;
}
