// Worker A of the query-runs-ahead test, in a process of its own so that the test can SIGKILL it:
// it runs the small order up to the payment and leaves the payment's result to come from outside.
const fs = require('node:fs');
const { CompleteAsyncError, Context } = require('@temporalio/activity');
const { DefaultLogger, NativeConnection, Runtime, Worker } = require('@temporalio/worker');

// The project's one reading of TEMPORAL_* (address, and certificates on the cluster).
const { temporalTarget } = require('../../../dist/platform/temporal/connection.js');

const { TASK_QUEUE, WORKFLOW_BUNDLE, PAYMENT_TOKEN_FILE, STICKY_TIMEOUT_MS } = process.env;

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect(temporalTarget(process.env).connection);
  const worker = await Worker.create({
    connection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: WORKFLOW_BUNDLE },
    // Once this worker is dead, a query and the next workflow task each wait this long on its
    // sticky queue before the server hands them to another worker: the test's timing hangs on it.
    stickyQueueScheduleToStartTimeout: Number(STICKY_TIMEOUT_MS),
    activities: {
      async recordOrder() {},
      async capturePayment() {
        // Written before the line is printed, so the test reads a whole token.
        fs.writeFileSync(PAYMENT_TOKEN_FILE, Context.current().info.taskToken);
        console.log('payment pending: task token saved');
        throw new CompleteAsyncError();
      },
    },
  });
  console.log('worker A polling');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
