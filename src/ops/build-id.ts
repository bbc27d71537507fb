// `npm run --silent build:id`: the build id the built workers poll with unless
// TEMPORAL_WORKER_BUILD_ID says otherwise, for a deploy to name the version it ships.
import { workflowBuildId } from '../main/bundle';

workflowBuildId().then(
  (id) => console.log(id),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
