#!/bin/sh
# Takes signals off the queue named by $QUEUE, one every five seconds.
while true; do
  echo "processing $QUEUE"
  sleep 5
done
