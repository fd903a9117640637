import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { AppService, Recipe } from './app.service';

const MAX_TITLE = 200;
const MAX_INGREDIENTS = 100;
const MAX_INGREDIENT = 200;
const MAX_INSTRUCTIONS = 20000;
const MAX_COMMENT = 2000;

const invalid = () => new BadRequestException({ error: 'Invalid input' });

@Controller('recipes')
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'self'; script-src 'none'")
  @Header('X-Content-Type-Options', 'nosniff')
  overview(): Promise<string> {
    return this.appService.overviewPage();
  }

  @Post('upload')
  @HttpCode(201)
  upload(@Body() body: any): Promise<Recipe> {
    if (!body || typeof body.title !== 'string' || typeof body.instructions !== 'string' || !Array.isArray(body.ingredients)) {
      throw invalid();
    }
    const title = body.title.trim();
    const instructions = body.instructions.trim();
    const ingredients: unknown[] = body.ingredients;
    if (title === '' || title.length > MAX_TITLE || instructions === '' || instructions.length > MAX_INSTRUCTIONS) throw invalid();
    if (ingredients.length === 0 || ingredients.length > MAX_INGREDIENTS) throw invalid();
    if (!ingredients.every((i) => typeof i === 'string' && i.trim() !== '' && i.length <= MAX_INGREDIENT)) throw invalid();
    return this.appService.create(title, ingredients as string[], instructions);
  }

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'self'; script-src 'none'")
  @Header('X-Content-Type-Options', 'nosniff')
  show(@Param('id') id: string): Promise<string> {
    return this.appService.recipePage(id);
  }

  @Post(':id/comments')
  @HttpCode(201)
  async comment(@Param('id') id: string, @Body() body: any) {
    await this.appService.requireRecipe(id);
    const c = body ? body.comment : undefined;
    if (typeof c !== 'string' || c.trim() === '' || c.length > MAX_COMMENT) throw invalid();
    await this.appService.addComment(id, c);
    return { message: 'Comment added successfully' };
  }

  @Post(':id/ratings')
  @HttpCode(201)
  async rate(@Param('id') id: string, @Body() body: any) {
    await this.appService.requireRecipe(id);
    const r = body ? body.rating : undefined;
    if (!Number.isInteger(r) || r < 1 || r > 5) {
      throw new BadRequestException({ error: 'Rating must be an integer from 1 to 5' });
    }
    await this.appService.addRating(id, r);
    return { message: 'Rating added successfully' };
  }
}
