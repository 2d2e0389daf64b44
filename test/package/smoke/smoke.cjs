// Loads the built package the way a CommonJS Nest app does (require(esm)), boots an HTTP app
// with FlowModule.forRoot and prints what it signed. Run by test/package/*.spec.ts.
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FlowModule, FlowSigner } = require('nestjs-cognito-flow');
const { run } = require('./scenario.cjs');

run({ Module, NestFactory, FlowModule, FlowSigner, loader: 'require' });
