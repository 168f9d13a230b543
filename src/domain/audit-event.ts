/**
 * An audit event as the Merkle log hashes it: RFC 8785 canonical JSON of its fields, so that any
 * verifier, in any language, gets the same bytes and the same leaf hash.
 */
import canonicalize from 'canonicalize';
import { leafHash } from './merkle.ts';

export interface LoggedEvent {
  seq: number;
  /** The instant, ISO 8601 in UTC with milliseconds. */
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  entityCode: string | null;
  programId: string | null;
  payload: unknown;
  state: unknown;
}

export function canonicalEvent(e: LoggedEvent): Buffer {
  return Buffer.from(
    canonicalize({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      entityCode: e.entityCode,
      programId: e.programId,
      payload: e.payload ?? {},
      state: e.state ?? null,
    })!,
    'utf8',
  );
}

export const eventLeafHash = (e: LoggedEvent) => leafHash(canonicalEvent(e));
