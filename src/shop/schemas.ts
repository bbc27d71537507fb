// The zod schemas every kind's requests share (a SKU, an order id), made from the kernel's
// patterns; each kind's own schemas are in its folder. Kept out of the modules the workflow
// sandbox loads: zod costs about 1 MB in every cached workflow.
import { z } from 'zod';
import { isPaymentToken, orderIdPattern, type PaymentToken, paymentTokenRule, skuPattern } from './shop';

export const skuSchema = z.string().regex(skuPattern, 'a SKU is 1-64 letters, digits, ".", "_" or "-"');

/** An Idempotency-Key becomes the order id, so it must be safe in a workflow id and a URL. */
export const orderIdSchema = z.string().regex(orderIdPattern, 'an order id is 1-80 letters, digits, "_" or "-"');

/** A test token of the simulated gateway, or a payment method from the provider's checkout. */
export const paymentTokenSchema = z.string().refine((token): token is PaymentToken => isPaymentToken(token), `paymentToken must be ${paymentTokenRule}`);
