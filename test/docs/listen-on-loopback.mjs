// Preloaded (`node --import`) into each app the docs' snippets make. Snippets listen where a
// reader's app would (`app.listen(3000)`); here every server listens on a free loopback port
// instead, and the port is sent to the test over the IPC channel.
import net from 'node:net';

const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const callback = typeof args.at(-1) === 'function' ? args.at(-1) : undefined;
  this.once('listening', () => process.send?.({ listening: this.address().port }));
  return listen.call(this, { port: 0, host: '127.0.0.1' }, callback);
};
