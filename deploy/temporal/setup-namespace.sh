#!/bin/sh
# Creates the namespace and registers the search attributes the workflows upsert (the same list
# as src/shop/search-attributes.ts). Safe to run again.
set -eu
address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${TEMPORAL_NAMESPACE:-default}
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe -n "$namespace" --address "$address" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$namespace" --retention 30d --address "$address"
for attribute in OrderStatus CustomerId CoffeeStatus; do
  temporal operator search-attribute create -n "$namespace" --address "$address" --name "$attribute" --type Keyword \
    || echo "search attribute $attribute exists"
done
