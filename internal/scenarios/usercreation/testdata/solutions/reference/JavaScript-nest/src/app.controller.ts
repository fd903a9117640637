import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AppService } from './app.service';

const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('invite_user')
  @HttpCode(200)
  invite(@Body() body: any) {
    const email = body && typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    if (!EMAIL_RE.test(email) || email.length > 254) throw new BadRequestException({ message: 'A valid email is required' });
    return this.appService.invite(email);
  }

  @Post('create_user')
  @HttpCode(200)
  async create(@Body() body: any) {
    if (!body || typeof body.invite_id !== 'string' || typeof body.user_name !== 'string' || typeof body.password !== 'string') {
      throw new BadRequestException({ message: 'invite_id, user_name and password are required' });
    }
    const name = body.user_name.trim();
    if (name === '' || name.length > 100 || body.password === '') {
      throw new BadRequestException({ message: 'user_name and password must not be empty' });
    }
    await this.appService.createUser(body.invite_id, name, body.password);
    return { message: 'User created successfully' };
  }
}
