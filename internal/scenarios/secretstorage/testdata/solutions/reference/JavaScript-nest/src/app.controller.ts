import {
  BadRequestException,
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Post,
  Query,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Request } from 'express';
import { AppService } from './app.service';

const invalidToken = () => new UnauthorizedException({ message: 'Invalid authentication token' });

// BearerGuard admits requests with a valid token and records whose token it is.
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(private readonly appService: AppService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & { user?: string }>();
    const header = req.headers.authorization || '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const user = m ? this.appService.verify(m[1]) : null;
    if (!user) throw invalidToken();
    req.user = user;
    return true;
  }
}

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('register')
  @HttpCode(201)
  async register(@Body() body: any) {
    await this.appService.register(body);
    return { message: 'Registration successful' };
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: any) {
    return { token: await this.appService.login(body), message: 'Login successful' };
  }

  // A token only grants access to its own user's secret.
  @Post('set_secret')
  @HttpCode(200)
  @UseGuards(BearerGuard)
  async setSecret(@Req() req: Request & { user: string }, @Body() body: any) {
    if (!body || typeof body.username !== 'string' || typeof body.secret !== 'string') {
      throw new BadRequestException({ message: 'username and secret are required' });
    }
    if (body.username !== req.user) throw invalidToken();
    await this.appService.setSecret(req.user, body.secret);
    return { message: 'Secret has been set successfully' };
  }

  @Get('get_secret')
  @UseGuards(BearerGuard)
  async getSecret(@Req() req: Request & { user: string }, @Query('username') username: unknown) {
    if (typeof username !== 'string' || username !== req.user) throw invalidToken();
    return { secret: await this.appService.getSecret(req.user) };
  }
}
