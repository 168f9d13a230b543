/** A file of evidence as an HTTP response: its media type, its name, and its SHA-256 (RFC 9530 Repr-Digest). */
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

export function evidenceResponse(
  c: Context<AppEnv>,
  file: { bytes: Uint8Array; mediaType: string; filename: string; sha256: string },
): Response {
  c.header('content-type', file.mediaType);
  c.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  c.header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
  return c.body(new Uint8Array(file.bytes));
}
