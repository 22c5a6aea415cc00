/** Whether a parsed JSON value is an object (not `null`, not an array): what a server list and a result must be. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
