#!/bin/sh
# Serves /www on port 8080; /health answers the health check.
echo "app: serving on :8080 (log level $LOG_LEVEL)"
exec httpd -f -p 8080 -h /www
