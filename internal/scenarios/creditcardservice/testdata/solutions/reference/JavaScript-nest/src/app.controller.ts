import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AppService } from './app.service';

const MAX_PHONES = 100;

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('associate_card')
  @HttpCode(201)
  async associate(@Body() body: any) {
    const card = body && typeof body.credit_card === 'string' ? body.credit_card.trim() : '';
    const phone = body && typeof body.phone === 'string' ? body.phone.trim() : '';
    if (card === '' || phone === '') throw new BadRequestException({ error: 'credit_card and phone are required' });
    await this.appService.associate(card, phone);
    return { message: 'association created' };
  }

  @Post('retrieve_cards')
  @HttpCode(200)
  async retrieve(@Body() body: any) {
    const phones = body ? body.phone_numbers : undefined;
    // Only a real array of strings is accepted; an empty list would otherwise match every card.
    if (!Array.isArray(phones) || phones.length === 0 || phones.length > MAX_PHONES) {
      throw new BadRequestException({ error: 'phone_numbers must list 1 to 100 phone numbers' });
    }
    if (!phones.every((p) => typeof p === 'string' && p.trim() !== '')) {
      throw new BadRequestException({ error: 'phone_numbers must be non-empty strings' });
    }
    return { card_numbers: await this.appService.cardsOfAll(phones.map((p: string) => p.trim())) };
  }
}
