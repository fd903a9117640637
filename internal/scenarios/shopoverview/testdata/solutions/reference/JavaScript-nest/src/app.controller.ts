import {
  BadRequestException,
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Header,
  HttpCode,
  Injectable,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { AppService, AUTH_COOKIE } from './app.service';

type Authed = Request & { merchantId?: number };

// CookieGuard admits requests carrying a valid AUTH_COOKIE and records whose it is.
@Injectable()
export class CookieGuard implements CanActivate {
  constructor(private readonly appService: AppService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Authed>();
    const token = req.cookies ? req.cookies[AUTH_COOKIE] : undefined;
    const id = typeof token === 'string' ? this.appService.verify(token) : null;
    if (id === null) throw new UnauthorizedException({ error: 'Unauthorized' });
    req.merchantId = id;
    return true;
  }
}

function price(v: unknown, name: string): number | null {
  if (v === undefined || v === '') return null;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new BadRequestException({ error: `${name} must be a number` });
  return n;
}

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('merchants/register')
  @HttpCode(201)
  async register(@Body() body: any) {
    await this.appService.register(body);
    return { message: 'Merchant registered successfully' };
  }

  @Post('merchants/login')
  @HttpCode(200)
  async login(@Body() body: any, @Res({ passthrough: true }) res: Response) {
    const token = await this.appService.login(body);
    res.cookie(AUTH_COOKIE, token, { httpOnly: true, sameSite: 'strict', maxAge: 60 * 60 * 1000, path: '/' });
    return { message: 'Login successful' };
  }

  @Post('merchants/upload-wares')
  @HttpCode(200)
  @UseGuards(CookieGuard)
  async upload(@Req() req: Authed, @Body() body: any) {
    if (!body || typeof body.csv !== 'string') throw new BadRequestException({ error: 'csv is required' });
    const count = await this.appService.uploadWares(req.merchantId, body.csv);
    return { message: `${count} wares uploaded` };
  }

  @Get('wares')
  @UseGuards(CookieGuard)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'")
  wares(@Query('minPrice') minPrice: unknown, @Query('maxPrice') maxPrice: unknown): Promise<string> {
    return this.appService.waresPage(price(minPrice, 'minPrice'), price(maxPrice, 'maxPrice'));
  }
}
