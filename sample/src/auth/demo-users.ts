/** A user of the sample. Its `id` is the Flow customer reference: stable, unique, not an e-mail. */
export interface DemoUser {
  /** Fixed UUID, the same in every instance of the sample. */
  readonly id: string;
  /** Login name. */
  readonly username: string;
  /** Shown on the page. */
  readonly displayName: string;
  /** Demo password: public on purpose (listed in README). */
  readonly password: string;
}

/** The sample's two users. Their ids never change, so several instances agree on who is who. */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  {
    id: '6f1c2b7e-3d5a-4e8f-9b0c-1a2d3e4f5a6b',
    username: 'alice',
    displayName: 'Alice',
    password: 'alice-password',
  },
  {
    id: 'c9d8e7f6-a5b4-4c3d-8e2f-1b0a9c8d7e6f',
    username: 'bob',
    displayName: 'Bob',
    password: 'bob-password',
  },
]);

/** The user with this id, if any. */
export function findDemoUserById(id: unknown): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.id === id);
}
