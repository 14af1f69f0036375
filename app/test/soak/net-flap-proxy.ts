// A TCP proxy on 127.0.0.1 between the core and the platform simulator: the site's uplink.
// `down()` cuts every open connection and refuses new ones until `up()`.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FlapProxy {
  url: string;
  isDown(): boolean;
  down(): void;
  up(): void;
  /** Connections cut or refused while down. */
  cut: number;
  close(): Promise<void>;
}

export async function startFlapProxy(target: { host: string; port: number }): Promise<FlapProxy> {
  let isDown = false;
  const open = new Set<net.Socket>();
  const state = { cut: 0 };
  const server = net.createServer((client) => {
    if (isDown) {
      state.cut++;
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    isDown: () => isDown,
    down() {
      isDown = true;
      for (const s of open) {
        state.cut++;
        s.destroy();
      }
      open.clear();
    },
    up() {
      isDown = false;
    },
    get cut() {
      return state.cut;
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
