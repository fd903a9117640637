import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AppService } from './app.service';

const MAX_COUNT = 1_000_000;

function cartId(body: any): string {
  const id = body ? body.cart_id : undefined;
  if (typeof id !== 'string' || id === '') throw new BadRequestException({ error: 'cart_id is required' });
  return id;
}

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('create_cart')
  @HttpCode(201)
  async create() {
    return { cart_id: await this.appService.createCart() };
  }

  @Post('add_to_cart')
  @HttpCode(200)
  async add(@Body() body: any) {
    const id = cartId(body);
    const { item_id: item, count } = body;
    if (!Number.isSafeInteger(item) || !Number.isSafeInteger(count) || Math.abs(count) > MAX_COUNT) {
      throw new BadRequestException({ error: 'item_id and count must be integers' });
    }
    await this.appService.add(id, item, count);
    return { message: 'Item added or removed successfully' };
  }

  @Post('retrieve_cart')
  @HttpCode(200)
  async retrieve(@Body() body: any) {
    return { items: await this.appService.items(cartId(body)) };
  }
}
