#!/bin/sh
echo serving v2
