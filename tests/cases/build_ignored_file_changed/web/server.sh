#!/bin/sh
echo serving
