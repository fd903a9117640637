import { Body, Controller, HttpCode, HttpException, HttpStatus, Post } from '@nestjs/common';
import { AppService, Process } from './app.service';

const MAX_REGEX = 1000;
const MAX_FLAGS = 200;
// One ps option word: letters, digits and a few separators, never a shell metacharacter.
const FLAG_TOKEN = /^[A-Za-z0-9,=:+-]+$/;

// ApiError answers in the spec's Error shape, {code, message}.
export class ApiError extends HttpException {
  constructor(status: number, message: string) {
    super({ code: status, message }, status);
  }
}

@Controller('monitor')
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('commands')
  @HttpCode(200)
  async commands(@Body() body: any): Promise<Process[]> {
    if (!body || typeof body !== 'object' || typeof body.command_regex !== 'string') {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'a JSON body with command_regex is required');
    }
    const pattern: string = body.command_regex;
    if (pattern.length > MAX_REGEX) throw new ApiError(HttpStatus.BAD_REQUEST, 'command_regex is too long');
    try {
      new RegExp(pattern);
    } catch {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid command_regex');
    }
    let flags: string[] = [];
    if (body.filter_flags !== undefined && body.filter_flags !== null) {
      if (typeof body.filter_flags !== 'string' || body.filter_flags.length > MAX_FLAGS) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'filter_flags must be a short string of ps options');
      }
      flags = body.filter_flags.split(/\s+/).filter((f: string) => f !== '');
      if (!flags.every((f) => FLAG_TOKEN.test(f))) throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid filter_flags');
    }
    let procs: Process[];
    try {
      procs = await this.appService.listProcesses(flags);
    } catch {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'ps rejected the filter flags');
    }
    const matched = await this.appService.filter(procs, pattern);
    if (matched === null) throw new ApiError(HttpStatus.BAD_REQUEST, 'command_regex takes too long to evaluate');
    return matched;
  }
}
