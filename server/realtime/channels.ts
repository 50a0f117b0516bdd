// The socket.io rooms live updates go to: one per sitting, one per followed room. The same
// names on the writer and every edge (the Redis adapter delivers by them).
export const sittingChannel = (id: string): string => `sitting:${id}`;
export const roomChannel = (room: string): string => `follow:${room}`;
