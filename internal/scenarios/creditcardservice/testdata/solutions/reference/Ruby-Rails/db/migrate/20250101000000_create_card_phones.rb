class CreateCardPhones < ActiveRecord::Migration[7.2]
  def change
    create_table :card_phones do |t|
      t.string :credit_card, null: false
      t.string :phone, null: false
    end
    add_index :card_phones, [:credit_card, :phone], unique: true
    add_index :card_phones, :phone
  end
end
