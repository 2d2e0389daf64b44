import 'reflect-metadata';
import { Controller, Get, Injectable, Post, UseGuards, type CanActivate } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { scanRoutes } from '../../lib/routing/route-scan.js';

@Injectable()
class ClassGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Injectable()
class HandlerGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller('base')
@UseGuards(ClassGuard)
class BaseController {
  @Post('hook')
  @UseGuards(HandlerGuard)
  receive(): void {}

  helper(): void {}
}

/** Inherits its route handler: a scan of own property names alone would miss it. */
@Controller('derived')
class DerivedController extends BaseController {
  @Get('own')
  own(): void {}
}

describe('scanRoutes', () => {
  it('finds own and inherited route handlers with their class and handler guards, and nothing else', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      controllers: [BaseController, DerivedController],
    }).compile();
    const routes = scanRoutes(moduleRef.get(DiscoveryService), moduleRef.get(MetadataScanner));
    const found = routes
      .map((route) => ({
        route: `${route.controller.name}.${route.method}`,
        guards: route.guards.map((guard) => (guard as { name: string }).name),
      }))
      .sort((a, b) => a.route.localeCompare(b.route));
    expect(found).toEqual([
      { route: 'BaseController.receive', guards: ['ClassGuard', 'HandlerGuard'] },
      { route: 'DerivedController.own', guards: ['ClassGuard'] },
      { route: 'DerivedController.receive', guards: ['ClassGuard', 'HandlerGuard'] },
    ]);
    await moduleRef.close();
  });
});
