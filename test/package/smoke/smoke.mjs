// Loads the built package the way an ESM Nest app does and runs the same scenario as smoke.cjs.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FlowModule, FlowSigner, OnFlowEvent } from 'nestjs-cognito-flow';
import { startFlowEmulator } from 'nestjs-cognito-flow/emulator';
import { verifyFlowWebhook } from 'nestjs-cognito-flow/protocol';
import { signFlowWebhook } from 'nestjs-cognito-flow/testing';
import scenario from './scenario.cjs';

scenario.run({
  Module,
  Injectable,
  NestFactory,
  FlowModule,
  FlowSigner,
  OnFlowEvent,
  signFlowWebhook,
  verifyFlowWebhook,
  startFlowEmulator,
  loader: 'import',
});
