/**
 * Who is signed in, for the page frame: set once per request by the app, read by the layout, so
 * that no page has to pass it down.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface SignedInUser {
  username: string;
  admin: boolean;
  /** A session that must enrol a second factor first: the page frame asks nothing more of the server. */
  enrolling: boolean;
  /** Whether the user may open a route (`GET /programs/:program/…`) of a program, by the access table. */
  may: (route: string, program: string) => boolean;
}

export const signedIn = new AsyncLocalStorage<SignedInUser | undefined>();
