import { createServer, type Server, type Socket } from 'node:net';

export interface HangingServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** connections accepted so far */
  connections(): number;
  /** connections the client has closed */
  closedByClient(): number;
  close(): Promise<void>;
}

/**
 * A TCP server on loopback that accepts every connection, reads what it is sent, and never
 * answers: a hung endpoint, as an SDK client sees a dead service behind a live load balancer.
 */
export async function hangingServer(): Promise<HangingServer> {
  const sockets: Socket[] = [];
  let closedByClient = 0;
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.resume(); // read (and drop) the request, so that the client's hang-up is seen
    socket.on('close', () => closedByClient++);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('could not read the port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    connections: () => sockets.length,
    closedByClient: () => closedByClient,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
