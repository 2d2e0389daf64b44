// Preloaded (`node --import`) into each app the docs' snippets make. Snippets listen where a
// reader's app would (`app.listen(3000)`); here every server listens on a free loopback port
// instead, and the port is sent to the test over the IPC channel, marked `app` when Nest has
// logged its start (other servers of the process, such as a metrics exporter, listen earlier).
import net from 'node:net';

const listen = net.Server.prototype.listen;
const write = process.stdout.write;
let nestStarted = false;

process.stdout.write = function watchNestStart(chunk, ...rest) {
  if (String(chunk).includes('Nest application successfully started')) nestStarted = true;
  return write.call(this, chunk, ...rest);
};

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const callback = typeof args.at(-1) === 'function' ? args.at(-1) : undefined;
  this.once('listening', () =>
    process.send?.({ listening: this.address().port, app: nestStarted }),
  );
  return listen.call(this, { port: 0, host: '127.0.0.1' }, callback);
};
