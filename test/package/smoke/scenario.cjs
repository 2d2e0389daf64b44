// The smoke scenario shared by the ESM and CommonJS entry points: plain JavaScript, no build step,
// decorators applied as functions, so it runs unchanged against any installed copy of the package.
const { readFileSync } = require('node:fs');

async function run({ Module, NestFactory, FlowModule, FlowSigner, loader }) {
  // A class decorator called as a function returns nothing: decorate, then use the class.
  class AppModule {}
  Module({ imports: [FlowModule.forRoot()] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false, rawBody: true, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const signer = app.get(FlowSigner);
  const nestVersion = JSON.parse(
    readFileSync(require.resolve('@nestjs/core/package.json', { paths: [process.cwd()] }), 'utf8'),
  ).version;
  const result = {
    loader,
    nestVersion,
    signature: signer.sign(process.env.SMOKE_CUSTOMER_REFERENCE),
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = { run };
