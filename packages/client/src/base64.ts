/**
 * Base64 for bytes payloads on the wire, with the `btoa`/`atob` globals of browsers and Node (no
 * Buffer, so the SDK bundles for the browser).
 */

/** `String.fromCharCode` takes its arguments on the stack: 32 K per call stays far below any engine's limit. */
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
