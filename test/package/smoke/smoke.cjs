// Loads the built package the way a CommonJS Nest app does (require(esm)) and runs the scenario.
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FlowModule, FlowSigner, OnFlowEvent } = require('nestjs-cognito-flow');
const { startFlowEmulator } = require('nestjs-cognito-flow/emulator');
const { verifyFlowWebhook } = require('nestjs-cognito-flow/protocol');
const { signFlowWebhook } = require('nestjs-cognito-flow/testing');
const { run } = require('./scenario.cjs');

run({
  Module,
  Injectable,
  NestFactory,
  FlowModule,
  FlowSigner,
  OnFlowEvent,
  signFlowWebhook,
  verifyFlowWebhook,
  startFlowEmulator,
  loader: 'require',
});
