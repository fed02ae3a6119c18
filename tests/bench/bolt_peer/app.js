// The peer slack_load measures beside microalign: a Bolt for JavaScript app in Socket Mode that
// acknowledges /heads-up at once and stores nothing — the least any Slack app can do.
//
// It takes what slack_load gives every app: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL (the
// generator's loopback Web API) and NODE_EXTRA_CA_CERTS (its test CA). SLACK_LOAD_CONNECTIONS
// sockets are opened (one Bolt App each, in this one process), as microalign opens
// MICROALIGN_CONNECTIONS.
const {App, LogLevel} = require('@slack/bolt');

const clientOptions = {
  slackApiUrl: process.env.SLACK_API_URL
};
const sockets = Number.parseInt(process.env.SLACK_LOAD_CONNECTIONS || '1', 10);

async function start() {
  for (let i = 0; i < sockets; i += 1) {
    const app = new App({
      token: process.env.SLACK_BOT_TOKEN,
      appToken: process.env.SLACK_APP_TOKEN,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions,
      installerOptions: {clientOptions},
    });
    app.command('/heads-up', async ({ack}) => {
      await ack();
    });
    await app.start();
  }
}

start().catch((error) => {
  console.error(error);
  process.exit(1);
});
