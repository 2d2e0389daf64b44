/** Placeholder: starts a real redis-server for the suite (filled in with the Redis store). */
export default function setup(): void {}
