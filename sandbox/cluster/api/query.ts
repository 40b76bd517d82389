/**
 * A boolean query parameter as the API server reads it (apimachinery's
 * Convert_Slice_string_To_bool): absent, "0" or any case of "false" is false; anything else,
 * even "" or "True" (what the Python client sends), is true.
 */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.getAll(name)[0];
  if (value === undefined) return false;
  return !(value === '0' || value.toLowerCase() === 'false');
}
