// The kinds of order this shop runs: register a new kind here (and its workflow in
// src/workflows.ts, its routes in src/main/app.ts).
import { coffeeKind } from '../coffee/kind';
import { orderKind } from '../orders/kind';
import type { WorkflowKind } from '../shop/workflow-kind';

export const workflowKinds: readonly WorkflowKind[] = [orderKind, coffeeKind];
