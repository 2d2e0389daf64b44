// Loads the built package the way an ESM Nest app does and runs the same scenario as smoke.cjs.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FlowModule, FlowSigner } from 'nestjs-cognito-flow';
import scenario from './scenario.cjs';

scenario.run({ Module, NestFactory, FlowModule, FlowSigner, loader: 'import' });
